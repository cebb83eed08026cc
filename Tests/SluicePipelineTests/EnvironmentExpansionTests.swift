import SluicePipeline
import Testing

@Suite("${ENV} expansion")
struct EnvironmentExpansionTests {
    let expansion = EnvironmentExpansion(environment: ["HOST": "db", "EMPTY": "", "PASSWORD": "p@ss"])

    private func expand(_ text: String) -> String? {
        let expanded = expansion.expand(text)
        return expanded.problems.isEmpty ? expanded.text : nil
    }

    @Test func referencesAndDefaults() {
        #expect(expand("postgres://etl:${PASSWORD}@${HOST}:5432/m") == "postgres://etl:p@ss@db:5432/m")
        #expect(expand("${MISSING:-fallback}/x") == "fallback/x")
        #expect(expand("${EMPTY:-fallback}") == "fallback")
        #expect(expand("${EMPTY}") == "")
        #expect(expand("${HOST:-other}") == "db")
        #expect(expand("${MISSING:-}") == "")
    }

    @Test func dollarsThatAreNotReferencesStay() {
        #expect(expand("price$") == "price$")
        #expect(expand("$HOST") == "$HOST")
        #expect(expand("$${HOST}") == "${HOST}")
        #expect(expand("no references") == "no references")
    }

    @Test func theVariablesUsedAreListed() {
        let expanded = expansion.expand("${HOST}:${MISSING:-1}")
        #expect(expanded.variables == ["HOST", "MISSING"])
    }

    @Test func problemsNameTheVariableAndWhere() {
        let problems = expansion.expand("a ${NOPE} b ${ALSO} ${bad name} ${open").problems
        #expect(problems.map(\.offset) == [2, 12, 20, 32])
        #expect(problems[0].message == "environment variable 'NOPE' is not set (or give a default: ${NOPE:-VALUE})")
        #expect(problems[2].message.contains("is not a variable reference"))
        #expect(problems[3].message == "'${' without a closing '}'")
    }
}
