#ifndef FELT_CLINUXSYS_SHIM_H
#define FELT_CLINUXSYS_SHIM_H
/* Linux calls that Swift's Glibc module does not export. Header-only. */
/* No _GNU_SOURCE here: it changes glibc's struct/enum definitions and then clashes
   with the Glibc/Dispatch modules ("has different definitions in different modules").
   GNU-only functions are declared explicitly below instead. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>
#include <errno.h>

extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

static inline int felt_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}
static inline int felt_errno(void) { return errno; }
static inline void felt_set_errno(int value) { errno = value; }

#endif
