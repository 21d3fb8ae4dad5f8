/*
 * kplay-proxy: maps a Service's port to its targetPort inside a pod's network namespace.
 *
 *   kplay-proxy PORT:[ADDRESS:]TARGET[/udp] ...
 *
 * Listens on 0.0.0.0:PORT (TCP) and relays every connection to ADDRESS:TARGET: by default
 * 127.0.0.1, where the pod's own container listens (a Service port mapped inside its pod);
 * an IPv4 address for `kplay port-forward`, which reaches a pod from a helper container.
 * TCP by default; `/udp` relays datagrams, each client with its own upstream socket. One process per listener, one child per connection. It runs as
 * a container of the pod, from an image kplay imports itself (scripts/build-proxy.sh builds
 * this file; src/proxy/binary.generated.ts holds the result), so it needs no registry, no
 * libc and no shell: raw Linux system calls only, for x86_64 and aarch64.
 */
typedef unsigned long size_t;
typedef long ssize_t;

#if defined(__x86_64__)
enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_rt_sigaction = 13, SYS_socket = 41,
       SYS_connect = 42, SYS_accept = 43, SYS_shutdown = 48, SYS_bind = 49, SYS_listen = 50,
       SYS_setsockopt = 54, SYS_clone = 56, SYS_exit_group = 231, SYS_ppoll = 271,
       SYS_sendto = 44, SYS_recvfrom = 45 };
static long sc6(long n, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
__asm__(".global _start\n_start:\n mov %rsp, %rdi\n and $-16, %rsp\n call cmain\n hlt\n");
#elif defined(__aarch64__)
enum { SYS_read = 63, SYS_write = 64, SYS_close = 57, SYS_rt_sigaction = 134, SYS_socket = 198,
       SYS_connect = 203, SYS_accept = 202, SYS_shutdown = 210, SYS_bind = 200,
       SYS_listen = 201, SYS_setsockopt = 208, SYS_clone = 220, SYS_exit_group = 94,
       SYS_ppoll = 73, SYS_sendto = 206, SYS_recvfrom = 207 };
static long sc6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc 0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory");
  return x0;
}
__asm__(".global _start\n_start:\n mov x0, sp\n bl cmain\n brk #0\n");
#else
#error "kplay-proxy is built for x86_64 and aarch64"
#endif
static long sc(long n, long a, long b, long c, long d, long e) { return sc6(n, a, b, c, d, e, 0); }

#define AF_INET 2
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define IPPROTO_TCP 6
#define TCP_NODELAY 1
#define SIGCHLD 17
#define SIGPIPE 13
#define SIG_IGN 1
#define POLLIN 1
#define POLLHUP 16
#define POLLERR 8
#define SHUT_WR 1
#define EINTR 4

struct sockaddr_in {
  unsigned short family;
  unsigned short port; /* network order */
  unsigned int addr;   /* network order */
  unsigned char zero[8];
};
struct pollfd {
  int fd;
  short events;
  short revents;
};
struct sigaction_k {
  long handler;
  unsigned long flags;
  long restorer;
  unsigned long mask;
};

static size_t len(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
static void say(const char *a, const char *b) {
  sc(SYS_write, 2, (long)"kplay-proxy: ", 13, 0, 0);
  sc(SYS_write, 2, (long)a, (long)len(a), 0, 0);
  if (b) sc(SYS_write, 2, (long)b, (long)len(b), 0, 0);
  sc(SYS_write, 2, (long)"\n", 1, 0, 0);
}
static void die(const char *a, const char *b) {
  say(a, b);
  sc(SYS_exit_group, 1, 0, 0, 0, 0);
  for (;;) {}
}
static unsigned short be16(unsigned v) { return (unsigned short)(((v & 0xff) << 8) | (v >> 8)); }

/* A decimal number of at most `max` ending at a ':' or the end; 0 when malformed. */
static int number(const char **s, unsigned max, unsigned *out) {
  unsigned v = 0;
  int digits = 0;
  while (**s >= '0' && **s <= '9' && digits < 6) {
    v = v * 10 + (unsigned)(**s - '0');
    (*s)++;
    digits++;
  }
  if (!digits || v > max) return 0;
  *out = v;
  return 1;
}

/*
 * "80:8080" → 80, 127.0.0.1, 8080; "80:10.89.0.5:8080" → 80, 10.89.0.5, 8080; a "/udp"
 * suffix relays UDP. The address comes back in network order. 0 when malformed.
 */
static int parse(const char *s, unsigned *port, unsigned *addr, unsigned *target, int *udp) {
  unsigned v[6];
  int n = 0;
  *udp = 0;
  for (;;) {
    if (n == 6 || !number(&s, 65535, &v[n])) return 0;
    n++;
    if (*s == 0) break;
    if (s[0] == '/' && s[1] == 'u' && s[2] == 'd' && s[3] == 'p' && s[4] == 0) {
      *udp = 1;
      break;
    }
    if (*s != (n >= 2 && n <= 4 ? '.' : ':') && !(n == 1 && *s == ':')) return 0;
    s++;
  }
  if (n == 2) {
    *addr = 0x0100007fu; /* 127.0.0.1 in network order on these little-endian machines */
    *target = v[1];
  } else if (n == 6) {
    for (int i = 1; i <= 4; i++)
      if (v[i] > 255) return 0;
    *addr = v[1] | (v[2] << 8) | (v[3] << 16) | (v[4] << 24);
    *target = v[5];
  } else {
    return 0;
  }
  *port = v[0];
  return *port && *target;
}

static void ignore(int sig) {
  struct sigaction_k act = {SIG_IGN, 0, 0, 0};
  sc(SYS_rt_sigaction, sig, (long)&act, 0, 8, 0);
}

/* Writes all of buf; 0 when the peer is gone. */
static int put(int fd, const char *buf, long n) {
  while (n > 0) {
    long w = sc(SYS_write, fd, (long)buf, n, 0, 0);
    if (w == -EINTR) continue;
    if (w <= 0) return 0;
    buf += w;
    n -= w;
  }
  return 1;
}

/* Relays bytes both ways until both directions are closed. */
static void relay(int a, int b) {
  static char buf[65536];
  int open_ab = 1, open_ba = 1;
  while (open_ab || open_ba) {
    struct pollfd fds[2] = {{a, open_ab ? POLLIN : 0, 0}, {b, open_ba ? POLLIN : 0, 0}};
    long r = sc(SYS_ppoll, (long)fds, 2, 0, 0, 0);
    if (r == -EINTR) continue;
    if (r < 0) return;
    for (int i = 0; i < 2; i++) {
      int from = i == 0 ? a : b, to = i == 0 ? b : a;
      int *open = i == 0 ? &open_ab : &open_ba;
      if (!*open || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      long n = sc(SYS_read, from, (long)buf, sizeof buf, 0, 0);
      if (n == -EINTR) continue;
      if (n == 0) {
        /* one side is done sending: pass the half-close on, keep the other way open */
        *open = 0;
        sc(SYS_shutdown, to, SHUT_WR, 0, 0, 0);
      } else if (n < 0 || !put(to, buf, n)) {
        return; /* a reset or a vanished peer ends both directions */
      }
    }
  }
}

static void serve(unsigned port, unsigned addr, unsigned target) {
  int one = 1;
  long ls = sc(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0);
  if (ls < 0) die("cannot open a socket", 0);
  sc(SYS_setsockopt, ls, SOL_SOCKET, SO_REUSEADDR, (long)&one, sizeof one);
  struct sockaddr_in any = {AF_INET, be16(port), 0, {0}};
  if (sc(SYS_bind, ls, (long)&any, sizeof any, 0, 0) < 0)
    die("cannot listen on a port the pod already uses or may not bind", 0);
  if (sc(SYS_listen, ls, 128, 0, 0, 0) < 0) die("cannot listen", 0);
  for (;;) {
    long c = sc(SYS_accept, ls, 0, 0, 0, 0);
    if (c < 0) continue;
    long pid = sc(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
      sc(SYS_close, ls, 0, 0, 0, 0);
      long up = sc(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0);
      struct sockaddr_in to = {AF_INET, be16(target), addr, {0}};
      if (up >= 0 && sc(SYS_connect, up, (long)&to, sizeof to, 0, 0) == 0) {
        sc(SYS_setsockopt, up, IPPROTO_TCP, TCP_NODELAY, (long)&one, sizeof one);
        sc(SYS_setsockopt, c, IPPROTO_TCP, TCP_NODELAY, (long)&one, sizeof one);
        relay((int)c, (int)up);
      }
      sc(SYS_exit_group, 0, 0, 0, 0, 0);
    }
    sc(SYS_close, c, 0, 0, 0, 0);
  }
}

/*
 * UDP: each client (address and port) gets its own socket connected to the target, so the
 * target's answers come back to the client they belong to. At most SESSIONS clients at once;
 * a new one replaces the one heard from longest ago.
 */
#define SESSIONS 64
struct session {
  struct sockaddr_in client;
  long fd;
  unsigned long used;
};

static int same(const struct sockaddr_in *a, const struct sockaddr_in *b) {
  return a->addr == b->addr && a->port == b->port;
}

static void serve_udp(unsigned port, unsigned addr, unsigned target) {
  static char buf[65536];
  static struct session sessions[SESSIONS];
  unsigned long clock = 0;
  long ls = sc(SYS_socket, AF_INET, SOCK_DGRAM, 0, 0, 0);
  if (ls < 0) die("cannot open a socket", 0);
  struct sockaddr_in any = {AF_INET, be16(port), 0, {0}};
  if (sc(SYS_bind, ls, (long)&any, sizeof any, 0, 0) < 0)
    die("cannot listen on a port the pod already uses or may not bind", 0);
  struct sockaddr_in to = {AF_INET, be16(target), addr, {0}};
  for (int i = 0; i < SESSIONS; i++) sessions[i].fd = -1;
  for (;;) {
    struct pollfd fds[SESSIONS + 1];
    int which[SESSIONS + 1];
    int n = 0;
    fds[n].fd = (int)ls;
    fds[n].events = POLLIN;
    fds[n].revents = 0;
    which[n++] = -1;
    for (int i = 0; i < SESSIONS; i++) {
      if (sessions[i].fd < 0) continue;
      fds[n].fd = (int)sessions[i].fd;
      fds[n].events = POLLIN;
      fds[n].revents = 0;
      which[n++] = i;
    }
    long r = sc(SYS_ppoll, (long)fds, n, 0, 0, 0);
    if (r < 0) continue;
    for (int k = 0; k < n; k++) {
      if (!(fds[k].revents & (POLLIN | POLLERR))) continue;
      if (which[k] < 0) {
        struct sockaddr_in from;
        int fromlen = sizeof from;
        long got = sc6(SYS_recvfrom, ls, (long)buf, sizeof buf, 0, (long)&from, (long)&fromlen);
        if (got < 0) continue;
        int s = -1, oldest = 0;
        for (int i = 0; i < SESSIONS; i++) {
          if (sessions[i].fd >= 0 && same(&sessions[i].client, &from)) s = i;
          if (sessions[i].fd < 0 || sessions[i].used < sessions[oldest].used) oldest = i;
        }
        if (s < 0) {
          s = oldest;
          if (sessions[s].fd >= 0) sc(SYS_close, sessions[s].fd, 0, 0, 0, 0);
          sessions[s].fd = sc(SYS_socket, AF_INET, SOCK_DGRAM, 0, 0, 0);
          sessions[s].client = from;
          if (sessions[s].fd < 0) continue;
          if (sc(SYS_connect, sessions[s].fd, (long)&to, sizeof to, 0, 0) < 0) {
            sc(SYS_close, sessions[s].fd, 0, 0, 0, 0);
            sessions[s].fd = -1;
            continue;
          }
        }
        sessions[s].used = ++clock;
        sc6(SYS_sendto, sessions[s].fd, (long)buf, got, 0, 0, 0);
      } else {
        struct session *x = &sessions[which[k]];
        long got = sc6(SYS_recvfrom, x->fd, (long)buf, sizeof buf, 0, 0, 0);
        if (got < 0) continue; /* nothing listens there (yet): the client will ask again */
        x->used = ++clock;
        sc6(SYS_sendto, ls, (long)buf, got, 0, (long)&x->client, sizeof x->client);
      }
    }
  }
}

void cmain(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  if (argc < 2) die("usage: kplay-proxy PORT:[ADDRESS:]TARGET[/udp] ...", 0);
  unsigned port[64], addr[64], target[64];
  int udp[64];
  long n = argc - 1 > 64 ? 64 : argc - 1;
  for (long i = 0; i < n; i++)
    if (!parse(argv[i + 1], &port[i], &addr[i], &target[i], &udp[i]))
      die("not PORT:[ADDRESS:]TARGET[/udp]: ", argv[i + 1]);
  ignore(SIGCHLD); /* children are reaped by the kernel */
  ignore(SIGPIPE);
  for (long i = 1; i < n; i++)
    if (sc(SYS_clone, SIGCHLD, 0, 0, 0, 0) == 0) {
      if (udp[i]) serve_udp(port[i], addr[i], target[i]);
      serve(port[i], addr[i], target[i]);
    }
  if (udp[0]) serve_udp(port[0], addr[0], target[0]);
  serve(port[0], addr[0], target[0]);
}
