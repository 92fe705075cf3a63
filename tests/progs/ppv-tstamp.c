// SPDX-License-Identifier: GPL-2.0
/*
 * ppv-tstamp DST_IP PORT: send one UDP datagram with software TX
 * timestamps on (SO_TIMESTAMPING, SOF_TIMESTAMPING_TX_SOFTWARE), take the
 * timestamp back from the socket's error queue, and check the packet that
 * comes with it: the outgoing frame as the driver timestamped it, which
 * must start with the Ethernet header (an IPv4 ethertype, then an IPv4
 * header and our payload). A driver that timestamps after pushing a header
 * of its own in front of the frame hands back that header first.
 * Prints one line; exit 0 when the packet is right, 1 when not, 2 on a
 * setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char pkt[2048], ctl[512];
	char payload[64];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct iovec iov = { pkt, sizeof(pkt) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	int fd, flags, i, plen;
	struct timespec ts = { 0, 0 };
	struct cmsghdr *c;
	ssize_t n;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: %s DST_IPV4 PORT\n", argv[0]);
		return 2;
	}
	dst.sin_port = htons(atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags,
				 sizeof(flags))) {
		perror("socket/SO_TIMESTAMPING");
		return 2;
	}
	plen = snprintf(payload, sizeof(payload), "ppv-tstamp %d %ld", getpid(),
			(long)time(NULL));
	if (sendto(fd, payload, plen, 0, (struct sockaddr *)&dst,
		   sizeof(dst)) != plen) {
		perror("sendto");
		return 2;
	}
	/* the timestamp comes once the driver has the packet: ARP first */
	for (i = 0; i < 30; i++) {
		struct pollfd p = { fd, POLLERR, 0 };

		poll(&p, 1, 100);
		n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n >= 0 || errno != EAGAIN)
			break;
	}
	if (n < 0) {
		printf("no timestamp in the error queue within 3 s (%s)\n",
		       strerror(errno));
		return 1;
	}
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING)
			ts = ((struct scm_timestamping *)CMSG_DATA(c))->ts[0];
	if (!ts.tv_sec && !ts.tv_nsec) {
		printf("error queue packet of %zd bytes without a software timestamp\n", n);
		return 1;
	}
	/* Ethernet (14), IPv4 without options (20), UDP (8), the payload */
	if (n == 14 + 20 + 8 + plen && pkt[12] == 0x08 && pkt[13] == 0x00 &&
	    pkt[14] == 0x45 && !memcmp(pkt + 42, payload, plen)) {
		printf("timestamp %ld.%09ld; the %zd-byte packet starts with the Ethernet header (ethertype 0x0800, IPv4, payload intact)\n",
		       (long)ts.tv_sec, ts.tv_nsec, n);
		return 0;
	}
	printf("timestamp %ld.%09ld; the %zd-byte packet (want %d) starts with", (long)ts.tv_sec,
	       ts.tv_nsec, n, 42 + plen);
	for (i = 0; i < 24 && i < n; i++)
		printf(" %02x", pkt[i]);
	printf("\n");
	return 1;
}
