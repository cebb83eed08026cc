/// Runs `body` with `resource`, then `close`s it whether `body` returns or throws: the shape of
/// ``withRESPConnection(_:eventLoopGroup:logger:_:)``, ``withRESPClient(_:eventLoopGroup:logger:_:)`` and
/// ``withRESPClusterClient(_:eventLoopGroup:logger:_:)``.
func scoped<Resource, Result>(
    _ resource: Resource,
    close: (Resource) async -> Void,
    _ body: (Resource) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(resource)
        await close(resource)
        return result
    } catch {
        await close(resource)
        throw error
    }
}
