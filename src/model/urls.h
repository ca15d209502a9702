/*
 * urls: the links in a message's text, found the way terminals and chat
 * clients find them: a run of non-space characters that starts with
 * http://, https://, ftp:// or www., ends at white space, and gives back
 * the punctuation that usually follows a link in prose (".", ",", ";",
 * ":", "!", "?", quotes, and a closing bracket that has no opening one
 * inside the link). Pure.
 */
#ifndef CONFAB_URLS_H
#define CONFAB_URLS_H

#include <stdbool.h>
#include <stddef.h>

/* The first link in text[from, len): true with its byte range in
 * [*start, *end). */
bool url_next(const char *text, size_t len, size_t from, size_t *start,
    size_t *end);

#endif
