using Microsoft.AspNetCore.Http.Metadata;

namespace Airlock.Server.Mcp;

/// <summary>The request body bound of <c>/mcp</c>, as endpoint metadata (routing applies it before the body is read).</summary>
internal sealed record McpBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
