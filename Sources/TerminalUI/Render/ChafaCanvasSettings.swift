import CChafa

/// How one preview mode on one terminal is asked of libchafa: canvas mode (colour
/// depth), symbols, and the terminal's own ink and paper for colourless terminals.
/// The same settings feed the live preview and the fidelity tests' reference.
struct ChafaCanvasSettings: Hashable {
    var mode: PreviewMode
    var colors: TerminalCapabilities.Colors
    var lightBackground: Bool

    var canvasMode: ChafaCanvasMode {
        switch colors {
        case .direct: return CHAFA_CANVAS_MODE_TRUECOLOR
        // 240 rather than 256: the first 16 entries are whatever the user's theme made
        // them, so chafa leaves them out, as its own `-c 240` does.
        case .palette256: return CHAFA_CANVAS_MODE_INDEXED_240
        case .sixteen: return CHAFA_CANVAS_MODE_INDEXED_16
        case .basic: return CHAFA_CANVAS_MODE_INDEXED_8
        // Ink and paper only, plus reverse video: four looks per symbol shape.
        case .none: return CHAFA_CANVAS_MODE_FGBG_BGFG
        }
    }

    /// chafa's symbol tags for the mode. Wide symbols are left out: every symbol takes
    /// exactly one cell of our grid.
    var symbolTags: ChafaSymbolTags {
        switch mode {
        case .symbols:
            // Ink and paper alone draw shapes, not shades: the box-drawing lines (what the
            // chafa tool adds for `--colors none`) trace edges blocks cannot.
            let border = colors == .none ? CHAFA_SYMBOL_TAG_BORDER.rawValue : 0
            return ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue | border)
        case .halfBlock: return ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_VHALF.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue)
        case .ascii: return CHAFA_SYMBOL_TAG_ASCII
        }
    }

    /// The terminal's default foreground and background as chafa should assume them
    /// (they are the picture's only colours without colour support): light ink on dark
    /// paper unless the terminal says it is light.
    var ink: UInt32 { lightBackground ? 0x000000 : 0xffffff }
    var paper: UInt32 { lightBackground ? 0xffffff : 0x000000 }

    /// A new canvas config of `columns` x `rows` cells; the caller unrefs it.
    func makeConfig(columns: Int, rows: Int) -> OpaquePointer {
        let config = chafa_canvas_config_new()!
        chafa_canvas_config_set_geometry(config, gint(columns), gint(rows))
        chafa_canvas_config_set_canvas_mode(config, canvasMode)
        let symbols = chafa_symbol_map_new()!
        chafa_symbol_map_add_by_tags(symbols, symbolTags)
        chafa_symbol_map_remove_by_tags(symbols, CHAFA_SYMBOL_TAG_WIDE)
        chafa_canvas_config_set_symbol_map(config, symbols)
        chafa_symbol_map_unref(symbols)
        chafa_canvas_config_set_fg_color(config, ink)
        chafa_canvas_config_set_bg_color(config, paper)
        // chafa's preprocessing stretches contrast for few-colour modes; measured on the
        // demo face it moves a coloured picture away from the source (16 colours: 36 -> 26
        // grey levels of mean error without it), so that is passed as it is. With ink and
        // paper only it helps a little (symbols 68.7 -> 68.6), as the chafa tool has it.
        // No dithering there: it turns shades into a 4x4 checkerboard that is closer cell
        // by cell (24.8 against 53.8) but far from the picture's shapes (88.8 against 68.6
        // point by point, 87.5 against 62.8 in 4x4 means), and a face reads by its shapes.
        chafa_canvas_config_set_preprocessing_enabled(config, colors == .none ? 1 : 0)
        return config
    }
}
