# The host toggles the link through the QEMU monitor (set_link): the
# carrier follows within 5 s each way, and traffic resumes after link up.
n=${PPV_FLAPS:-5}
net_up
failed=0 i=0 why=
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	r=$(host link down)
	wait_carrier 0 || { why="flap $i: carrier still up after link down ($r)"; failed=1; break; }
	r=$(host link up)
	wait_carrier 1 || { why="flap $i: carrier still down after link up ($r)"; failed=1; break; }
done
if [ $failed = 0 ]; then ok "carrier followed $n link flaps from the monitor"; else notok "carrier followed $n link flaps from the monitor" "$why"; fi
check "ping after the flaps" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
