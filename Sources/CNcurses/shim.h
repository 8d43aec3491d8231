// ncursesw with wide-character functions. A_BOLD and friends are function-like macros
// that Swift cannot import: re-export them as constants.
#ifndef RNNPOOL_CAM_CNCURSES_SHIM_H
#define RNNPOOL_CAM_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

static const attr_t RC_A_BOLD = A_BOLD;
static const attr_t RC_A_REVERSE = A_REVERSE;
static const attr_t RC_A_NORMAL = A_NORMAL;
static inline attr_t rc_color_pair(short n) { return COLOR_PAIR(n); }

#endif
