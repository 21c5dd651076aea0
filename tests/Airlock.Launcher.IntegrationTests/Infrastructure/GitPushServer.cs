using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A git host of the test's own that takes pushes: git's smart HTTP (git http-backend, as CGI) over HTTPS on one of the
/// host's addresses, behind HTTP Basic with one token, as GitHub takes a token as the password. A request without the
/// token gets 401, which is what makes git ask its credential helper.
/// </summary>
public sealed class GitPushServer : IAsyncDisposable
{
    public const string RepositoryName = "pushed.git";

    private readonly WebApplication _app;
    private readonly TempDirectory _root;
    private readonly string _token;

    private GitPushServer(WebApplication app, TempDirectory root, string token, Uri address)
    {
        _app = app;
        _root = root;
        _token = token;
        Url = $"https://{address.Host}:{address.Port}/{RepositoryName}";
        Destination = $"{address.Host}:{address.Port}";
    }

    public string Url { get; }

    /// <summary>ADDRESS:PORT, for --allow and a secret's hosts.</summary>
    public string Destination { get; }

    /// <summary>The passwords requests came with, in order (empty: none).</summary>
    public List<string> Passwords { get; } = [];

    public string Bare => Path.Combine(_root.Path, RepositoryName);

    public static async Task<GitPushServer> StartAsync(IPAddress address, X509Certificate2 certificate, string token)
    {
        var root = new TempDirectory("airlock-git-push-");
        Run(root.Path, "git", "init", "-q", "--bare", "-b", "main", RepositoryName);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        GitPushServer? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync();
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new GitPushServer(app, root, token, new Uri(listening));
        return server;
    }

    /// <summary>The subject of the newest commit on main, or null when nothing was pushed.</summary>
    public string? Head()
    {
        var (code, output) = Run(Bare, "git", "log", "-1", "--format=%s", "main");
        return code == 0 ? output.Trim() : null;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var password = Password(ctx.Request.Headers.Authorization.ToString());
        lock (Passwords)
        {
            Passwords.Add(password ?? string.Empty);
        }

        if (password != _token)
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return;
        }

        var start = new ProcessStartInfo("git", ["http-backend"]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["GIT_PROJECT_ROOT"] = _root.Path;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["REMOTE_USER"] = "pusher";
        start.Environment["REQUEST_METHOD"] = ctx.Request.Method;
        start.Environment["PATH_INFO"] = ctx.Request.Path.Value ?? "/";
        start.Environment["QUERY_STRING"] = ctx.Request.QueryString.Value?.TrimStart('?') ?? string.Empty;
        start.Environment["CONTENT_TYPE"] = ctx.Request.ContentType ?? string.Empty;
        start.Environment["HTTP_CONTENT_ENCODING"] = ctx.Request.Headers.ContentEncoding.ToString();
        start.Environment["GIT_HTTP_MAX_REQUEST_BUFFER"] = "100M";
        using var process = Process.Start(start)!;
        await ctx.Request.Body.CopyToAsync(process.StandardInput.BaseStream);
        process.StandardInput.Close();
        var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        var bytes = output.ToArray();
        var split = IndexOf(bytes, "\r\n\r\n"u8);
        var headerEnd = split >= 0 ? split + 4 : IndexOf(bytes, "\n\n"u8) + 2;
        foreach (var line in Encoding.ASCII.GetString(bytes, 0, headerEnd).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                ctx.Response.StatusCode = int.Parse(value[..3], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                ctx.Response.Headers[name] = value;
            }
        }

        await ctx.Response.Body.WriteAsync(bytes.AsMemory(headerEnd));
    }

    private static string? Password(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : decoded[(colon + 1)..];
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> what) => data.AsSpan().IndexOf(what);

    private static (int Code, string Output) Run(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _root.Dispose();
    }
}
