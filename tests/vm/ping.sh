# 20 pings to the host side of the test network, none lost.
out=$(ping -c 20 -i 0.1 -W 2 "$HOST_IP" 2>&1)
loss=$(echo "$out" | sed -n 's/.* \([0-9]*\)% packet loss.*/\1/p')
diag "$(echo "$out" | tail -n 1)"
expect "ping $HOST_IP: 0% loss of 20" "${loss:-100}" -eq 0
