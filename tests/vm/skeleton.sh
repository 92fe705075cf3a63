# ppvnet skeleton: loads and unloads cleanly (no netdev yet).
check "insmod ppvnet" insmod /lib/modules/ppv/ppvnet.ko
check "ppvnet is loaded" test -d /sys/module/ppvnet
check "rmmod ppvnet" rmmod ppvnet
check "ppvnet is gone" test ! -d /sys/module/ppvnet
