/*
 * osc52: the escape sequence that asks the terminal to put text on the
 * clipboard (OSC 52, as xterm, tmux, kitty, iTerm2 and foot take it), so
 * that a copy works over ssh too. Pure: the caller writes it.
 */
#ifndef CONFAB_OSC52_H
#define CONFAB_OSC52_H

#include <stddef.h>

#define OSC52_MAX_TEXT 65536 /* terminals drop longer ones */

/* "ESC ] 52 ; c ; BASE64 BEL" for text (malloc'd), or NULL when text is
 * longer than OSC52_MAX_TEXT bytes. */
char *osc52_sequence(const char *text, size_t len);

#endif
