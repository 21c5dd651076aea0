namespace Airlock.Server.Tests.Secrets;

/// <summary>
/// Commands a sandbox of the base image runs to make an HTTPS request the way a tool with a key in its environment would:
/// OpenSSL's s_client (the base image has no curl) through the relay's proxy, verifying the certificate against the
/// sandbox's trust store (where the sandbox's own authority is, for a host a secret is bound to).
/// </summary>
public static class SandboxRequests
{
    /// <summary>Waits for the relay, which starts with the sandbox, to listen.</summary>
    private const string WaitForRelay = "for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && break; sleep 0.1; done; ";

    /// <summary>
    /// GET /v1/models at 127.0.0.1:<paramref name="port"/> with <c>Authorization: Bearer $VARIABLE</c>. The request is
    /// written, then stdin stays open until the answer (or 15 s), so s_client reads it before it closes.
    /// </summary>
    public static string[] BearerGet(int port, string variable) =>
    [
        "bash", "-c",
        WaitForRelay
        + "out=$(mktemp); "
        + $"{{ printf 'GET /v1/models HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\nAuthorization: Bearer %s\\r\\n\\r\\n' \"${variable}\"; "
        + "for i in $(seq 150); do grep -q -e fake-model-answer -e 'verify error' -e ':error:' \"$out\" 2>/dev/null && break; sleep 0.1; done; } "
        + $"| openssl s_client -quiet -no_ign_eof -verify_return_error -verify_ip 127.0.0.1 -proxy 127.0.0.1:3128 -connect 127.0.0.1:{port} >\"$out\" 2>&1; "
        + "cat \"$out\"",
    ];
}
