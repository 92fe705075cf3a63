// SPDX-License-Identifier: GPL-2.0
/*
 * ppv-csum IFNAME PORT COUNT SECONDS: capture the IPv4 UDP packets to
 * PORT that interface IFNAME sends or receives (AF_PACKET), until COUNT
 * of them or SECONDS have passed, and check each one's UDP checksum as it
 * is in the packet. Prints "good G bad B partial P none N": partial ones
 * were captured before the stack filled the checksum in (CHECKSUM_PARTIAL,
 * TP_STATUS_CSUMNOTREADY), none carry 0 (no checksum). Exit 0, or 2 on a
 * setup error.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint32_t sum16(const unsigned char *p, size_t len, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (len & 1)
		s += p[len - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

int main(int argc, char **argv)
{
	unsigned long good = 0, bad = 0, partial = 0, none = 0;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned char pkt[65536], ctl[256];
	int fd, one = 1, port, count, secs;
	time_t end;

	if (argc != 5) {
		fprintf(stderr, "usage: %s IFNAME PORT COUNT SECONDS\n", argv[0]);
		return 2;
	}
	port = atoi(argv[2]);
	count = atoi(argv[3]);
	secs = atoi(argv[4]);
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (!sll.sll_ifindex || fd < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one))) {
		perror(argv[1]);
		return 2;
	}
	/* ready: the caller may start the traffic */
	printf("listening\n");
	fflush(stdout);
	end = time(NULL) + secs;
	while (good + bad + partial + none < (unsigned long)count &&
	       time(NULL) < end) {
		struct iovec iov = { pkt, sizeof(pkt) };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl, .msg_controllen = sizeof(ctl),
		};
		struct pollfd p = { fd, POLLIN, 0 };
		struct tpacket_auxdata *aux = NULL;
		unsigned int ihl, ulen;
		unsigned char *ip, *udp;
		struct cmsghdr *c;
		uint32_t s;
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recvmsg(fd, &msg, 0);
		if (n < 14 + 20 + 8 || pkt[12] != 0x08 || pkt[13] != 0x00)
			continue;
		ip = pkt + 14;
		ihl = (ip[0] & 15) * 4;
		if ((ip[0] >> 4) != 4 || ip[9] != 17 || n < 14 + ihl + 8)
			continue;
		udp = ip + ihl;
		if (((udp[2] << 8) | udp[3]) != port)
			continue;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_PACKET &&
			    c->cmsg_type == PACKET_AUXDATA)
				aux = (struct tpacket_auxdata *)CMSG_DATA(c);
		if (aux && (aux->tp_status & TP_STATUS_CSUMNOTREADY)) {
			partial++;
			continue;
		}
		ulen = (udp[4] << 8) | udp[5];
		if (ulen < 8 || udp + ulen > pkt + n)
			continue;
		if (!udp[6] && !udp[7]) {
			none++;
			continue;
		}
		/* pseudo header: addresses, protocol, UDP length */
		s = sum16(ip + 12, 8, 0) + 17 + ulen;
		s = sum16(udp, ulen, s);
		if (fold(s) == 0)
			good++;
		else
			bad++;
	}
	printf("good %lu bad %lu partial %lu none %lu\n", good, bad, partial, none);
	return 0;
}
