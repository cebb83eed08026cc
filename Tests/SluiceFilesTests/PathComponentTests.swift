import Sluice
import SluiceTesting
import Testing

@testable import SluiceFiles

@Suite("File target path components")
struct PathComponentTests {
    @Test(
        "names that would escape the target directory are refused",
        arguments: ["", ".", "..", "../prices", "a/b", "/etc", "a\\b", "nul\0byte", ".hidden", "line\nbreak"]
    )
    func refusesEscapes(name: String) {
        #expect(throws: SluiceError.self) { try PathComponent.checked(name, naming: "table name") }
    }

    @Test(
        "ordinary and unicode names are kept exactly",
        arguments: ["prices", "stock prices", "Prëise_2025", "select", "a..b", "2025-08"]
    )
    func keepsOrdinaryNames(name: String) throws {
        #expect(try PathComponent.checked(name, naming: "table name") == name)
    }

    @Test("the error names what was refused and why, on one line")
    func errorNamesTheText() {
        do {
            _ = try PathComponent.checked("../x\n", naming: "table name")
            Issue.record("no error")
        } catch let error as SluiceError {
            #expect(error.code == .invalidRequest)
            #expect(error.message.contains("table name '../x\\u{a}'"))
            #expect(!error.message.contains("\n"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
