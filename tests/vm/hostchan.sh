# The guest's request channel to the host (lib.sh's host()): three requests
# in a row each get their own answer, also when one answer is lost on the
# way (tests/harness/run.sh runs this with vm.py --drop-answer).
for i in 1 2 3; do
	r=$(host ping)
	if [ "$r" = pong ]; then ok "host request $i answered"; else notok "host request $i answered" "got '$r'"; fi
done
