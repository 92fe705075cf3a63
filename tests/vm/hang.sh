# Never returns: proves vm.py's --timeout names the hung test (tests/harness/run.sh).
sleep 100000
