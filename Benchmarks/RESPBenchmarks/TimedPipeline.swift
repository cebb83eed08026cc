import RESP

/// Connects to `url`, times `RESPConnection.pipeline(commands:)` (connecting is not timed) and closes the
/// connection, also when the pipeline throws; returns the seconds and the outcome.
func timedPipeline<Commands: Sequence>(
    _ commands: Commands,
    url: String
) async throws -> (seconds: Double, outcome: PipelineOutcome) where Commands.Element: RESPCommandEncodable {
    let connection = try await RESPConnection.connect(try .init(url: url))
    do {
        let start = ContinuousClock.now
        let outcome = try await connection.pipeline(commands: commands)
        let seconds = Measurements.seconds(start.duration(to: .now))
        await connection.close()
        return (seconds, outcome)
    } catch {
        await connection.close()
        throw error
    }
}
