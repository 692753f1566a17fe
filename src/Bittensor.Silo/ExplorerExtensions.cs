using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Bittensor.Silo;

/// <summary>
/// The network explorer: a static page (HTML, one script, one stylesheet) over the REST API, served at <c>/</c> from
/// resources embedded in this assembly, so every host of the silo (dotnet run, a published build, Aspire, tests, the
/// CLI's in-process bench) serves the same files whatever its content root.
/// </summary>
public static class ExplorerExtensions
{
    /// <summary>Prefix of the embedded resource names (see the csproj's <c>LogicalName</c>).</summary>
    public const string ResourcePrefix = "Bittensor.Silo.Explorer";

    /// <summary>Serves <c>/</c> (index.html), <c>/explorer.js</c> and <c>/explorer.css</c>; everything else falls through.</summary>
    public static WebApplication UseExplorer(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(ExplorerExtensions).Assembly, ResourcePrefix);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, DefaultFileNames = ["index.html"] });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // The page builds its DOM from text only and loads nothing from elsewhere: a strict policy costs nothing.
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
