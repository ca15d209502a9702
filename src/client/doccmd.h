/*
 * doccmd: `confab doc get|put`, a shared document read or written from a
 * script, with no terminal. It runs the same core as the interactive
 * client (sign-in, the token store, the room, the document pane's OT
 * client and its reconnect path) without the UI: nothing of curses is
 * started, so standard input and output may be files or pipes.
 */
#ifndef CONFAB_CLIENT_DOCCMD_H
#define CONFAB_CLIENT_DOCCMD_H

/* argv[1] is "doc": the exit status (0, 1 on failure, 2 on bad usage). */
int doccmd_main(int argc, char **argv);

#endif
