/*
 * rawc: a hand-written HTTP and WebSocket client for tests, for what a
 * well-behaved library never sends: pipelined requests with bodies, frames
 * without a mask, a close frame of one byte, a connection left half open.
 * Blocking sockets with a receive timeout; every call returns on error or
 * at its deadline, never hangs.
 */
#ifndef CONFAB_RAWC_H
#define CONFAB_RAWC_H

#include <stdbool.h>
#include <stddef.h>

/* A TCP connection to 127.0.0.1:port (receive timeout timeout_ms); -1 on
 * failure. */
int rawc_connect(int port, int timeout_ms);
bool rawc_write(int fd, const void *p, size_t n);
/* Reads until EOF, the buffer is full or timeout_ms pass; returns the bytes
 * read (NUL-terminated in buf) and sets *eof when the peer closed. */
size_t rawc_read_all(int fd, char *buf, size_t cap, int timeout_ms, bool *eof);
/* Sends an upgrade (protocols: the Sec-WebSocket-Protocol value, or NULL
 * for none) and reads the answer's head into head (cap bytes). Returns the
 * status (101 when upgraded), or -1. */
int rawc_upgrade(int fd, const char *protocols, char *head, size_t cap);
/* Sends one client frame: b0 is FIN, RSV and opcode; masked unless
 * unmasked is set. */
bool rawc_frame(int fd, unsigned char b0, const void *p, size_t n, bool unmasked);
/* Reads server frames until a close frame (its code, or 1005 when it had
 * none) or EOF (1006) or the deadline (-1). Other frames are skipped. */
int rawc_close_code(int fd, int timeout_ms);
/* Reads the next server frame's payload (text or binary) into buf; its
 * length, or -1 on EOF, a close or the deadline. */
long rawc_next_frame(int fd, char *buf, size_t cap, int timeout_ms);

/* CPU seconds (user + system) process pid has used so far; -1 if unknown. */
double rawc_cpu_seconds(int pid);

#endif
