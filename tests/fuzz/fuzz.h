/*
 * fuzz: what every libFuzzer harness shares.
 *
 * A harness defines LLVMFuzzerTestOneInput and checks properties of what
 * the code under test did with the input. A property that does not hold
 * goes through FUZZ_CHECK, which names it and aborts: libFuzzer then keeps
 * the input as a crash, exactly as for an ASan or UBSan report.
 */
#ifndef CONFAB_FUZZ_H
#define CONFAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

__attribute__((noreturn)) static inline void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property does not hold: %s\n", file, line, what);
	abort();
}

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

/* Out of memory in a harness is not a finding. */
static inline void *
fuzz_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		abort();
	return p;
}

/* data[0..size) and a NUL, in a block of exactly size + 1 bytes, so that
 * ASan catches a read past the end. */
static inline char *
fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = fuzz_alloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* data[0..size) in a block of exactly size bytes: a reader that takes a
 * length must not look for a NUL. */
static inline char *
fuzz_bytes(const uint8_t *data, size_t size)
{
	char *s = fuzz_alloc(size);
	memcpy(s, data, size);
	return s;
}

#endif
