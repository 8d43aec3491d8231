import ArgumentParser
import Foundation
import FrameIO
import LivePipeline

/// `rnnpool-cam detect FILE...`: faces in still images (JPEG, PNG, WebP, PGM… or a clip's first frame).
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect faces in images (JPEG, HEIC, AVIF, PNG, WebP, BMP, TIFF, PGM/PPM, a clip's first frame)."
    )

    @Argument(help: "Image files (anything FFmpeg decodes; PGM/PPM and .y4m read without it).")
    var files: [String]

    @Flag(help: "One JSON line per image: {\"file\",\"width\",\"height\",\"faces\":[{\"x\",\"y\",\"w\",\"h\",\"score\"}]}.")
    var json = false

    @OptionGroup var detectorOptions: DetectorOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one image file") }
    }

    func run() throws {
        try reportingFailures {
            let detector = try DetectorLoading.loadDetector(detectorOptions)
            // Each image on its own: raw detections, no tracking across files.
            var processor = FrameProcessor(detector: detector, tracking: false)
            var failures = 0, done = 0
            // A stop signal ends the run between images: every line written is whole.
            for file in files {
                if StopSignal.requested { break }
                defer { done += 1 }
                let frame: Frame
                do {
                    frame = try StillImage.read(path: file)
                } catch let error as FrameSourceError {
                    // Report and go on with the other images; the exit status says it.
                    Console.note(error.description)
                    failures += 1
                    continue
                }
                let detection = processor.process(frame, threshold: detectorOptions.threshold(for: detector))
                if let error = detection.message {
                    Console.note("\(file): \(error)")
                    failures += 1
                }
                let size = frame.sourceSize, faces = frame.inSourcePixels(detection.faces)
                if json {
                    Console.emit(OutputRecords.image(file: file, width: size.width, height: size.height, faces: faces).rendered)
                } else {
                    let n = faces.count
                    Console.emit("\(file): \(size.width)x\(size.height), \(n) face\(n == 1 ? "" : "s")")
                    for f in faces {
                        Console.emit("  x=\(Int(f.x.rounded())) y=\(Int(f.y.rounded())) w=\(Int(f.w.rounded())) h=\(Int(f.h.rounded())) score=\(String(format: "%.4f", f.score))")
                    }
                }
            }
            if let signal = StopSignal.name {
                Console.note("stopped by \(signal) after \(done) of \(files.count) images")
                try StopSignal.exitIfStopped()
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
