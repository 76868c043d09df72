using ChaosLab.Core.Environment;
using ChaosLab.Web.Services;

namespace ChaosLab.Web.OpenEnv;

/// <summary>What <c>/metadata</c> says about this server; the README is embedded at build time.</summary>
public sealed class ServerMetadata(ServerInfo server, SuiteCatalog catalog, Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    // The dashboard documents what the server offers; a deployment can point elsewhere
    // (ChaosLab:DocumentationUrl).
    public MetadataResponse Response { get; } = new(
        Name: "chaoslab",
        Description: "ChaosLab: an OpenEnv environment that tests LLM agents against unreliable tools, multi-agent " +
            "coordination failures and fragile code, graded without an LLM, with every step recorded for replay.",
        Version: server.Version,
        Author: "ChaosLab",
        DocumentationUrl: configuration["ChaosLab:DocumentationUrl"] ?? "/web/",
        ReadmeContent: ReadReadme(),
        Suites: [.. catalog.Suites.Select(s => s.Name)]);

    private static string ReadReadme()
    {
        using var stream = typeof(ServerMetadata).Assembly.GetManifestResourceStream("README.md");
        if (stream is null)
        {
            return "";
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
