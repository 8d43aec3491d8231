// libchafa (the library the `chafa` tool is built on): its canvas turns pixels into
// terminal cells (a symbol, a foreground and a background colour each). Only the
// canvas, its config and symbol maps are used; we read the cells back ourselves.
#ifndef RNNPOOL_CAM_CCHAFA_SHIM_H
#define RNNPOOL_CAM_CCHAFA_SHIM_H

#include <chafa.h>

/// The tag sets as plain integers (ChafaSymbolTags mixes enum and expression values).
static const unsigned int RC_CHAFA_TAG_ALL = (unsigned int)CHAFA_SYMBOL_TAG_ALL;
static const unsigned int RC_CHAFA_TAG_WIDE = (unsigned int)CHAFA_SYMBOL_TAG_WIDE;

#endif
