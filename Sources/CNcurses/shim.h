// ncursesw with wide-character functions. A_BOLD and friends are function-like macros
// that Swift cannot import: re-export them as constants, and wrap the few calls that
// need a cchar_t built from one wide character.
#ifndef RNNPOOL_CAM_CNCURSES_SHIM_H
#define RNNPOOL_CAM_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <unistd.h>

static const attr_t RC_A_BOLD = A_BOLD;
static const attr_t RC_A_REVERSE = A_REVERSE;
static const attr_t RC_A_NORMAL = A_NORMAL;
static const int RC_KEY_RESIZE = KEY_RESIZE;
static const int RC_KEY_LEFT = KEY_LEFT;
static const int RC_KEY_RIGHT = KEY_RIGHT;
static inline attr_t rc_color_pair(short n) { return COLOR_PAIR(n); }

/// Puts one wide character with attributes and colour pair at (y, x) of `win`.
/// The pair goes through setcchar's `opts` (an int), so pairs past 32767 work, as
/// direct colour needs. Returns ERR (the bottom-right cell always reports ERR because
/// the cursor cannot advance past it; callers ignore that).
static inline int rc_put_wide(WINDOW *win, int y, int x, wchar_t ch, attr_t attrs, int pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cell, text, attrs, 0, &pair) == ERR) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}

/// Puts one single-byte character (for non-UTF-8 terminals) with attributes and pair.
static inline int rc_put_byte(WINDOW *win, int y, int x, unsigned char ch, attr_t attrs, int pair) {
    return mvwaddch(win, y, x, (chtype)ch | attrs | COLOR_PAIR(pair));
}

// Globals Swift 6 refuses to read (shared mutable state); only the main thread calls these.
static inline WINDOW *rc_stdscr(void) { return stdscr; }
static inline int rc_colors(void) { return COLORS; }
static inline int rc_color_pairs(void) { return COLOR_PAIRS; }
/// newterm on the process's own terminal; NULL when TERM is unusable.
static inline SCREEN *rc_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }

/// newterm as terminal `type` instead of $TERM (a direct-colour variant of it).
static inline SCREEN *rc_newterm_type(const char *type) { return newterm(type, stdout, stdin); }

/// 1 when the terminal has an alternate screen (terminfo smcup), which endwin leaves
/// for the shell's screen as it was; 0 when the UI drew on the shell's own screen.
static inline int rc_has_alternate_screen(void) {
    const char *smcup = tigetstr("smcup");
    return smcup != NULL && smcup != (char *)-1 && smcup[0] != 0;
}

/// 1 when the terminfo database has an entry for `type` (looked up quietly).
static inline int rc_terminfo_exists(const char *type) {
    int err = 0;
    TERMINAL *saved = cur_term;
    if (setupterm(type, STDOUT_FILENO, &err) != OK) { set_curterm(saved); return 0; }
    TERMINAL *found = cur_term;
    set_curterm(saved);
    del_curterm(found);
    return 1;
}

/// An ncurses screen that paints into /dev/null as terminal `type` (for the paint
/// benchmark: ncurses' own work without a terminal's speed). NULL on failure; the
/// FILE is returned through `out` so the caller can fclose it after delscreen.
static inline SCREEN *rc_newterm_devnull(const char *type, FILE **out) {
    *out = fopen("/dev/null", "w");
    FILE *in = fopen("/dev/null", "r");
    if (*out == NULL || in == NULL) return NULL;
    return newterm(type, *out, in);
}

/// Whether the terminal can move the cursor (terminfo `cup`): a full-screen UI needs
/// it; `dumb` and hardcopy terminals lack it.
static inline int rc_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// The locale's character set name after setlocale(LC_ALL, ""), e.g. "UTF-8".
static inline const char *rc_codeset(void) { return nl_langinfo(CODESET); }

#endif
