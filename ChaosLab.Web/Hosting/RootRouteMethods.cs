using System.Collections.Frozen;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// The HTTP methods each literal root route accepts. A catch-all fallback (the static-asset
/// one) makes routing answer a wrong method with 404 instead of 405; this puts the 405 back.
/// </summary>
public sealed class RootRouteMethods(EndpointDataSource endpoints)
{
    private FrozenDictionary<string, string[]>? _index;

    /// <returns>The methods <paramref name="path"/> accepts, or null when no root route has that path.</returns>
    public IReadOnlyList<string>? Allowed(PathString path)
    {
        _index ??= Build(endpoints);
        return _index.TryGetValue(path.Value?.TrimEnd('/') ?? "", out var methods) ? methods : null;
    }

    private static FrozenDictionary<string, string[]> Build(EndpointDataSource endpoints) => endpoints.Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.Parameters.Count == 0 && e.Metadata.GetMetadata<RootEndpointMetadata>() is not null)
        .Select(e => (Path: "/" + (e.RoutePattern.RawText ?? "").Trim('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
        .GroupBy(e => e.Path, StringComparer.OrdinalIgnoreCase)
        .ToFrozenDictionary(g => g.Key, g => g.SelectMany(e => e.Methods).Distinct().Order(StringComparer.Ordinal).ToArray(), StringComparer.OrdinalIgnoreCase);
}
