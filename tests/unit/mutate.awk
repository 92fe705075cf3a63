#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
# awk -v fn=FUNCTION -v barrier=BARRIER -v mut=NAME -f mutate.awk ppv_vring.c
# Copy ppv_vring.c with the one BARRIER(); statement of ppv_vring_FUNCTION()
# deleted, and append the ops table of vring_ops.h named vring_ops_NAME.
# Fails unless exactly one statement was deleted, so a changed driver cannot
# silently turn a mutant back into the original.
BEGIN { pat = "^[ \t]*" barrier "\\(\\);" }
NR == 1 { printf "#line 1 \"%s\"\n", FILENAME }
/^[a-z].*[ *]ppv_vring_[a-z_]+\(/ {
	cur = $0
	sub(/\(.*/, "", cur)
	sub(/.*[ *]ppv_vring_/, "", cur)
}
cur == fn && $0 ~ pat {
	sub(barrier "\\(\\);", "/* MUTANT: " barrier "() deleted */")
	n++
}
{ print }
END {
	if (n != 1) {
		printf "mutate.awk: %d %s() in ppv_vring_%s(), want 1\n", n,
			barrier, fn > "/dev/stderr"
		exit 1
	}
	print ""
	print "#include \"vring_ops.h\""
	printf "const struct vring_ops vring_ops_%s = VRING_OPS(\"%s() deleted from ppv_vring_%s()\");\n", mut, barrier, fn
}
