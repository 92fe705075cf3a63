// SPDX-License-Identifier: GPL-2.0
/*
 * ppv-rxfh IFNAME FLOW [HEX]: read (ETHTOOL_GRXFH) or set (ETHTOOL_SRXFH)
 * the fields a flow type's receive hash uses, through the ethtool ioctl:
 * ethtool 6.1 has no "ip4"/"ip6" flow types for rx-flow-hash, so it can
 * neither show nor switch off the hash of plain IP flows. FLOW: tcp4 udp4
 * ip4 tcp6 udp6 ip6; HEX: RXH_* bits (0 for none). Prints the fields as
 * hex; exit 0, 1 when the driver refuses, 2 on a usage error.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const struct { const char *name; unsigned int type; } flows[] = {
		{ "tcp4", TCP_V4_FLOW }, { "udp4", UDP_V4_FLOW },
		{ "ip4", IPV4_FLOW }, { "tcp6", TCP_V6_FLOW },
		{ "udp6", UDP_V6_FLOW }, { "ip6", IPV6_FLOW },
	};
	struct ethtool_rxnfc nfc = { 0 };
	struct ifreq ifr = { 0 };
	unsigned int i;
	int fd;

	if (argc < 3 || argc > 4 || strlen(argv[1]) >= IFNAMSIZ)
		goto usage;
	for (i = 0; i < sizeof(flows) / sizeof(flows[0]); i++)
		if (!strcmp(argv[2], flows[i].name))
			nfc.flow_type = flows[i].type;
	if (!nfc.flow_type)
		goto usage;
	strcpy(ifr.ifr_name, argv[1]);
	ifr.ifr_data = (void *)&nfc;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (argc == 4) {
		nfc.cmd = ETHTOOL_SRXFH;
		nfc.data = strtoull(argv[3], NULL, 16);
		if (ioctl(fd, SIOCETHTOOL, &ifr)) {
			perror("ETHTOOL_SRXFH");
			return 1;
		}
	}
	nfc.cmd = ETHTOOL_GRXFH;
	nfc.data = 0;
	if (ioctl(fd, SIOCETHTOOL, &ifr)) {
		perror("ETHTOOL_GRXFH");
		return 1;
	}
	printf("%llx\n", (unsigned long long)nfc.data);
	return 0;
usage:
	fprintf(stderr, "usage: %s IFNAME tcp4|udp4|ip4|tcp6|udp6|ip6 [HEX]\n", argv[0]);
	return 2;
}
