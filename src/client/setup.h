/*
 * setup: what confab reads before and beside the core: the XDG
 * directories, the configuration file with the flags over it, and theme
 * files, and the clocks the glue gives the core. Used by main.c and
 * doccmd.c.
 */
#ifndef CONFAB_CLIENT_SETUP_H
#define CONFAB_CLIENT_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/config.h"
#include "model/theme.h"

/* $env/confab when env names an absolute directory, else
 * $HOME/fallback/confab. */
char *setup_xdg_dir(const char *env, const char *fallback);
/* Reads config_dir/config, then the flags over it: -1 to go on, else the
 * exit status (after --help, --version or an error, said on stderr). */
int setup_configure(struct config *cfg, const char *config_dir, int argc,
    char **argv);
/* themes/NAME.theme from config_dir/themes, $CONFAB_THEMES_DIR or the
 * installed themes; false with the reason in err (t untouched). */
bool setup_load_theme(struct theme *t, const char *config_dir,
    const char *name, char *err, size_t errlen);

/* Milliseconds: monotonic (for timers), and since the epoch (for ts). */
int64_t setup_mono_ms(void);
int64_t setup_wall_ms(void);

#endif
