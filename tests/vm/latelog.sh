# Late kernel messages: page_pool reports a pool that still had pages in
# flight when the driver destroyed it ("stalled pool") only 60 s later, so
# after the test that caused it has passed. Appended to a run after the
# tests that bring the interface down and unload the driver: waits
# PPV_LATE_WAIT (65) s, then run_test fails it on every DMESG_BAD line
# logged since the previous test's check, this wait included.
w=${PPV_LATE_WAIT:-65}
diag "waiting $w s for late kernel messages (page_pool's stalled pool report comes 60 s after)"
sleep "$w"
