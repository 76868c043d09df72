using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Web.Cli;
using ChaosLab.Web.Hosting;

if (CommandLine.Handles(args))
{
    return await CommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultUrls(ChaosLabHost.DefaultUrls);
// `dotnet run` in any environment serves wwwroot and the build's compressed assets from their
// build locations; a published app has no such manifest and this does nothing.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddChaosLab();

var app = builder.Build();
app.UseChaosLab();

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is SchemaVersionException or DataDirectoryInUseException)
{
    // Already logged as critical with the full explanation by the start-up check.
    return 1;
}

/// <summary>Entry point; public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
