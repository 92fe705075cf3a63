# Link speed and duplex from the device (VIRTIO_NET_F_SPEED_DUPLEX): the
# phase gives QEMU speed= and duplex= and the guest PPV_SPEED / PPV_DUPLEX;
# without them the device reports none and ethtool says Unknown.
sp=$(ethtool "$IF" | awk -F': ' '$1 ~ /Speed$/ { print $2 }')
du=$(ethtool "$IF" | awk -F': ' '$1 ~ /Duplex$/ { print $2 }')
if [ -n "${PPV_SPEED:-}" ]; then
	want_sp="${PPV_SPEED}Mb/s" want_du=${PPV_DUPLEX:-Full}
else
	want_sp="Unknown!" want_du="Unknown! (255)"
fi
if [ "$sp" = "$want_sp" ]; then ok "ethtool: Speed: $sp"; else notok "ethtool: Speed: $want_sp" "got '$sp'"; fi
if [ "$du" = "$want_du" ]; then ok "ethtool: Duplex: $du"; else notok "ethtool: Duplex: $want_du" "got '$du'"; fi
