using System.Globalization;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Sandboxes.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// /v1/sandboxes/{id}/files: the files of a running sandbox of the caller's tenant (Viewer reads, Operator writes).
/// Every path is a query or body field checked by <see cref="SandboxPath"/>; the work is <see cref="SandboxFiles"/>'.
/// </summary>
public static class SandboxFileEndpoints
{
    private const string Octet = "application/octet-stream";
    private const string Tar = "application/x-tar";

    public static void Map(RouteGroupBuilder v1)
    {
        // Every route answers problems naming the field: 400 a bad path, 404 a missing sandbox or path, 409 a sandbox not
        // running or a command the sandbox refused, 413 an upload or listing past its bound, 429 too many at once.
        var group = v1.MapGroup("/sandboxes/{id}/files").WithTags("files")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(429);
        group.MapGet("", DownloadAsync).WithName("DownloadSandboxFile").Produces(200, contentType: Octet)
            .WithSummary("Download one file's bytes (path=/abs/path; a link is followed within the sandbox)");
        group.MapPut("", UploadAsync).WithName("UploadSandboxFile").Accepts<Stream>(Octet, "*/*").Produces<SandboxFileEntry>()
            .WithSummary("Create or replace one file from the raw body (path=/abs/path, optional mode=0644; at most 1 GiB)");
        group.MapDelete("", DeleteAsync).WithName("DeleteSandboxFile").Produces(204)
            .WithSummary("Delete a file, link or empty directory (path=); recursive=true deletes a directory with everything in it");
        group.MapGet("/archive", DownloadTreeAsync).WithName("DownloadSandboxArchive").Produces(200, contentType: Tar)
            .WithSummary("Download a directory (or file) as a tar stream, entries named from the path's last part");
        group.MapPut("/archive", UploadTreeAsync).WithName("UploadSandboxArchive").Accepts<Stream>(Tar, "*/*").Produces(204)
            .WithSummary("Extract a tar into an existing directory (path=); absolute, '..', hard-link and device entries are refused");
        group.MapGet("/list", ListAsync).WithName("ListSandboxFiles").Produces<SandboxFileList>()
            .WithSummary("List a directory (path=; at most 10,000 entries)");
        group.MapGet("/stat", StatAsync).WithName("StatSandboxFile").Produces<SandboxFileEntry>()
            .WithSummary("Describe one path (a link itself, with where it resolves)");
        group.MapPost("/mkdir", MakeDirectoryAsync).WithName("MakeSandboxDirectory").Accepts<MkdirRequest>("application/json", "*/*").Produces<SandboxFileEntry>()
            .WithSummary("Make a directory (parents=true: with its parents, and an existing one is fine)");
        group.MapPost("/move", MoveAsync).WithName("MoveSandboxFile").Accepts<MoveRequest>("application/json", "*/*").Produces<SandboxFileEntry>()
            .WithSummary("Rename a file or directory (from, to: to is the new path itself)");
    }

    private static async Task DownloadAsync(HttpContext context, SandboxFiles files, string id, string? path)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        var checkedPath = SandboxPath.Require("query.path", path);
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        await files.DownloadAsync(sandbox, checkedPath, context.Response, context.RequestAborted);
    }

    private static async Task<IResult> UploadAsync(HttpContext context, SandboxFiles files, string id, string? path, string? mode)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var errors = new ValidationErrors();
        var checkedPath = SandboxPath.Check(errors, "query.path", path);
        var fileMode = ParseMode(errors, mode);
        errors.ThrowIfAny("the query");
        var body = OpenBody(context, "the file");
        Audit.AuditTarget.Add(context, $"path={Names.Shorten(checkedPath!)}");
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);

        // The tar header carries the size before the bytes: a body without a length is spooled to a temporary file
        // (still bounded), never held in memory.
        if (context.Request.ContentLength is { } length)
        {
            return TypedResults.Ok(await files.UploadAsync(sandbox, checkedPath!, fileMode, body, length, context.RequestAborted));
        }

        var spoolOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            spoolOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // a tenant's bytes, readable by the server only
        }

        await using var spool = new FileStream(Path.Combine(Path.GetTempPath(), "airlock-upload-" + Guid.NewGuid().ToString("N")), spoolOptions);
        await body.CopyToAsync(spool, context.RequestAborted);
        spool.Position = 0;
        return TypedResults.Ok(await files.UploadAsync(sandbox, checkedPath!, fileMode, spool, spool.Length, context.RequestAborted));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, SandboxFiles files, string id, string? path, bool? recursive)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var checkedPath = SandboxPath.Require("query.path", path);
        Audit.AuditTarget.Add(context, $"path={Names.Shorten(checkedPath)}");
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        await files.DeleteAsync(sandbox, checkedPath, recursive ?? false, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task DownloadTreeAsync(HttpContext context, SandboxFiles files, string id, string? path)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        var checkedPath = SandboxPath.Require("query.path", path);
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);

        // Opened before the answer starts, so a missing path is still a 404 problem.
        await using var tar = await files.ReadTreeAsync(sandbox, checkedPath, context.RequestAborted);
        context.Response.ContentType = Tar;
        context.Response.Headers.CacheControl = "no-store";
        await tar.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task<IResult> UploadTreeAsync(HttpContext context, SandboxFiles files, string id, string? path)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var checkedPath = SandboxPath.Require("query.path", path);
        var body = OpenBody(context, "the tar");
        Audit.AuditTarget.Add(context, $"path={Names.Shorten(checkedPath)}");
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        await files.UploadTreeAsync(sandbox, checkedPath, body, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(HttpContext context, SandboxFiles files, string id, string? path)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        var checkedPath = SandboxPath.Require("query.path", path);
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        return TypedResults.Ok(await files.ListAsync(sandbox, checkedPath, context.RequestAborted));
    }

    private static async Task<IResult> StatAsync(HttpContext context, SandboxFiles files, string id, string? path)
    {
        var tenant = context.Caller().RequireTenant(Role.Viewer);
        var checkedPath = SandboxPath.Require("query.path", path);
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        return TypedResults.Ok(await files.StatAsync(sandbox, checkedPath, "query.path", context.RequestAborted));
    }

    private static async Task<IResult> MakeDirectoryAsync(HttpContext context, SandboxFiles files, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<MkdirRequest>(context.Request);
        var path = SandboxPath.Require("mkdir.path", request.Path);
        Audit.AuditTarget.Add(context, $"path={Names.Shorten(path)}");
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        return TypedResults.Ok(await files.MakeDirectoryAsync(sandbox, path, request.Parents ?? false, context.RequestAborted));
    }

    private static async Task<IResult> MoveAsync(HttpContext context, SandboxFiles files, string id)
    {
        var tenant = context.Caller().RequireTenant(Role.Operator);
        var request = await JsonBody.ReadAsync<MoveRequest>(context.Request);
        var errors = new ValidationErrors();
        var from = SandboxPath.Check(errors, "move.from", request.From);
        var to = SandboxPath.Check(errors, "move.to", request.To);
        errors.ThrowIfAny("move");
        Audit.AuditTarget.Add(context, $"from={Names.Shorten(from!)} to={Names.Shorten(to!)}");
        using var sandbox = await files.OpenAsync(tenant, id, context.RequestAborted);
        return TypedResults.Ok(await files.MoveAsync(sandbox, from!, to!, context.RequestAborted));
    }

    /// <summary>Octal permission bits, 0 to 0777: setuid, setgid and sticky are not for a tenant to set.</summary>
    private static int ParseMode(ValidationErrors errors, string? mode)
    {
        if (mode is null)
        {
            return 0x1A4; // 0644
        }

        if (mode.Length is 0 or > 4 || !mode.All(c => c is >= '0' and <= '7') || Convert.ToInt32(mode, 8) > 0x1FF)
        {
            errors.Add("query.mode", $"'{Names.Shorten(mode)}' is not a permission mode from 0000 to 0777 in octal, e.g. 0644 or 755 (setuid, setgid and sticky bits are not accepted)");
            return 0;
        }

        return Convert.ToInt32(mode, 8);
    }

    /// <summary>
    /// The request body, bounded by <see cref="ServerLimits.MaxUploadBytes"/> instead of the server-wide JSON body bound:
    /// an announced length over it is refused before a byte is read, and a body without one is cut off when it passes it.
    /// </summary>
    private static Stream OpenBody(HttpContext context, string what)
    {
        if (context.Request.ContentLength > ServerLimits.MaxUploadBytes)
        {
            throw UploadLimitStream.TooLarge($"{what} ({context.Request.ContentLength.Value.ToString(CultureInfo.InvariantCulture)} bytes)");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = ServerLimits.MaxUploadBytes + 1;
        }

        return new UploadLimitStream(context.Request.Body, what);
    }
}
