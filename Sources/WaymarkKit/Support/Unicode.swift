import Foundation

extension String {
    /// Canonical composition (NFC), via Foundation: the standard library has no public normalization API.
    var precomposedUnicode: String { precomposedStringWithCanonicalMapping }
    /// Compatibility composition (NFKC): full-width forms, ligatures and presentation forms become plain letters.
    var compatibilityComposed: String { precomposedStringWithCompatibilityMapping }
}
