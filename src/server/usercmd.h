/*
 * usercmd: `confabd user …`, the accounts of a database, without a running
 * server (the database is SQLite's to share between the two):
 *
 *   confabd user add NAME [--db PATH]      make an account
 *   confabd user passwd NAME [--db PATH]   change its password
 *   confabd user del NAME [--db PATH]      remove it, and its sign-ins
 *   confabd user list [--db PATH]          the accounts
 *   confabd user revoke NAME [--db PATH]   end every sign-in of NAME
 *
 * The password is read from the terminal without echo (twice, to catch a
 * typo), or from standard input when it is not a terminal, one line, so
 * that scripts can `printf 'pw\n' | confabd user add alice`. It is never
 * written anywhere but as its argon2id hash.
 */
#ifndef CONFAB_SERVER_USERCMD_H
#define CONFAB_SERVER_USERCMD_H

/* argv[0] is "user"; the exit status. */
int usercmd_main(int argc, char **argv);

#endif
