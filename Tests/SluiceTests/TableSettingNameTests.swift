import Testing

@testable import Sluice

@Suite("Table setting names")
struct TableSettingNameTests {
    @Test(
        "valid names pass",
        arguments: ["retention", "archive.policy", "名前", "a b 'c' \"d\"", String(repeating: "x", count: 200)]
    )
    func validNames(name: String) throws {
        try TableSettingName.validate(table: name)
        try TableSettingName.validate(table: "prices", name: name, value: "any\ntext 🚀")
        try TableSettingName.validate(table: name, name: "retention", value: nil)
    }

    @Test("empty, too long and control characters are refused")
    func problems() {
        #expect(TableSettingName.problem(with: "") == "is empty")
        #expect(TableSettingName.problem(with: String(repeating: "x", count: 201)) == "is longer than 200 bytes")
        #expect(TableSettingName.problem(with: String(repeating: "é", count: 101)) == "is longer than 200 bytes")
        #expect(TableSettingName.problem(with: String(repeating: "é", count: 100)) == nil)
        for control in ["\u{0}", "\n", "\r", "\t", "\u{1b}", "\u{7f}"] {
            #expect(TableSettingName.problem(with: "a" + control + "b") == "contains a control character")
        }
    }

    @Test("the error names the table and the setting on one line, and never the value")
    func message() {
        let error = #expect(throws: SluiceError.self) {
            try TableSettingName.validate(table: "prices\n", name: "keep\u{1b}", value: "secret")
        }
        #expect(error?.code == .invalidRequest)
        #expect(
            error?.description
                == #"table 'prices\u{a}', setting 'keep\u{1b}': the table name contains a control character"#
        )
        let value = #expect(throws: SluiceError.self) {
            try TableSettingName.validate(table: "prices", name: "retention", value: "secret\u{0}")
        }
        #expect(value?.description == "table 'prices', setting 'retention': the value contains a NUL character")
    }

    @Test("long names are cut in the message")
    func longNames() {
        let long = String(repeating: "y", count: 300)
        let error = #expect(throws: SluiceError.self) {
            try TableSettingName.validate(table: "prices", name: long, value: "v")
        }
        #expect(
            error?.description
                == "table 'prices', setting '\(String(repeating: "y", count: 64))…': the setting name is longer than "
                + "200 bytes"
        )
    }
}
