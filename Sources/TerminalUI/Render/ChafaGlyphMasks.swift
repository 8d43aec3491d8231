import CChafa
import Foundation

/// The 8x8 shape libchafa assumes for a symbol, as a 64-bit mask (bit `y * 8 + x`
/// set where the symbol's ink is). libchafa 1.12 does not hand out its built-in
/// glyphs, so each mask is read through the public canvas: a one-cell canvas that may
/// use only that symbol is shown 64 images with a single lit pixel; chafa colours the
/// ink with the average of the pixels under it, so the lit pixel is ink exactly when
/// the foreground comes out brighter than the background.
///
/// Used to measure how far a cell grid is from its source picture (`PreviewFidelity`)
/// with the same glyph shapes chafa matched against.
enum ChafaGlyphMasks {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [UInt32: UInt64] = [:]

    static func mask(for character: Character) -> UInt64 {
        guard let scalar = character.unicodeScalars.first?.value else { return 0 }
        if scalar == 0x20 { return 0 }
        // The full block cannot be probed: chafa turns a featureless cell into a fill
        // or a space, so a canvas allowed only U+2588 never shows it. All ink.
        if scalar == 0x2588 { return ~0 }
        return lock.withLock {
            if let known = cache[scalar] { return known }
            let mask = probe(scalar)
            cache[scalar] = mask
            return mask
        }
    }

    private static func probe(_ code: UInt32) -> UInt64 {
        let config = chafa_canvas_config_new()!
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, 1, 1)
        chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
        chafa_canvas_config_set_preprocessing_enabled(config, 0)
        let symbols = chafa_symbol_map_new()!
        chafa_symbol_map_add_by_range(symbols, code, code)
        chafa_canvas_config_set_symbol_map(config, symbols)
        chafa_symbol_map_unref(symbols)
        let canvas = chafa_canvas_new(config)!
        defer { chafa_canvas_unref(canvas) }
        var mask: UInt64 = 0
        var image = [UInt8](repeating: 0, count: 8 * 8 * 3)
        var fg: gint = 0, bg: gint = 0
        for bit in 0..<64 {
            image[bit * 3] = 255; image[bit * 3 + 1] = 255; image[bit * 3 + 2] = 255
            image.withUnsafeBufferPointer {
                chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, $0.baseAddress, 8, 8, 24)
            }
            image[bit * 3] = 0; image[bit * 3 + 1] = 0; image[bit * 3 + 2] = 0
            guard chafa_canvas_get_char_at(canvas, 0, 0) == code else { continue }
            chafa_canvas_get_raw_colors_at(canvas, 0, 0, &fg, &bg)
            if (fg & 0xff) > (bg & 0xff) { mask |= 1 << UInt64(bit) }
        }
        return mask
    }
}
