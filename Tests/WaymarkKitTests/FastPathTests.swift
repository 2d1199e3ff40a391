import Foundation
import Testing

@testable import WaymarkKit

/// The byte-level shortcuts of the build's hot paths give exactly what the general code they replace gives.
@Suite("Fast paths")
struct FastPathTests {
    /// The id rule written with Unicode properties, as for any script: the oracle for ASCII.
    static func slugOracle(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var hasContent = false
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark, .spacingMark, .enclosingMark,
                .decimalNumber, .letterNumber, .otherNumber:
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                hasContent = true
            case .connectorPunctuation where scalar == "_", .dashPunctuation where scalar == "-": out.append(scalar)
            case .spaceSeparator: out.append("-")
            default: if scalar == "\t" || scalar == "\n" { out.append("-") }
            }
        }
        return hasContent ? String(out) : ""
    }

    @Test("heading ids of ASCII text follow the Unicode rule")
    func asciiSlugs() {
        for v in 0..<128 {
            let c = String(Unicode.Scalar(UInt8(v)))
            for text in ["a\(c)B", "\(c)", "\(c)\(c)", "_\(c)-", "Chỉ \(c) số"] {
                #expect(HeadingSlugger.slugify(text) == Self.slugOracle(text), "\(v): \(text)")
            }
        }
    }

    /// Heading ids skip the lowercase mapping of scalars that do not change when lowercased: for every
    /// scalar, that mapping is the scalar itself.
    @Test("scalars that do not change when lowercased map to themselves")
    func lowercaseShortcut() {
        for v in UInt32(0)..<0x11_0000 {
            guard let scalar = Unicode.Scalar(v), !scalar.properties.changesWhenLowercased else { continue }
            #expect(scalar.properties.lowercaseMapping == String(scalar), "U+\(String(v, radix: 16))")
        }
        #expect(HeadingSlugger.slugify("Chỉ SỐ Отток ΣΑΣ نرخ") == Self.slugOracle("Chỉ SỐ Отток ΣΑΣ نرخ"))
    }

    @Test("one-pass replacement gives what Foundation's replacement does")
    func replacement() {
        let texts = [
            ##"<h2 id="a">A</h2><p><a href="#a">x</a> id="b" href="#"</p><h6>z</h6><h1>t</h1>"##, "", "no match here", #" id=" id=""#, "é id=\"ü\" 😀",
        ]
        for text in texts {
            let ours = text.replacingBytes([(of: " id=\"", with: " id=\"s1-"), (of: "<h2>", with: "<h4>")])
            let foundation = text.replacingOccurrences(of: " id=\"", with: " id=\"s1-").replacingOccurrences(of: "<h2>", with: "<h4>")
            #expect(ours == foundation)
        }
        #expect("aaa".replacingBytes([(of: "aa", with: "b")]) == "aaa".replacingOccurrences(of: "aa", with: "b"))
    }

    @Test("a step's HTML on the whole-route page: ids and links prefixed, headings two levels down")
    func scopedStep() {
        let html = ##"<h1 id="a">A</h1><h2 class="x">B</h2><h5>C</h5><h6 id="d">D</h6><p><a href="#a">a</a><sup id="fn1">1</sup></p>"##
        #expect(
            RouteDocumentPage.scoped(html, prefix: "s2-")
                == ##"<h3 id="s2-a">A</h3><h4 class="x">B</h4><h6>C</h6><h6 id="s2-d">D</h6><p><a href="#s2-a">a</a><sup id="s2-fn1">1</sup></p>"##)
    }
}
