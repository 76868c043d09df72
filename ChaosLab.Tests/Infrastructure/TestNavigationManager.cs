using Microsoft.AspNetCore.Components;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>A navigation manager for static renders: the page "is at" <paramref name="relativeUri"/> under <c>/web/</c>.</summary>
public sealed class TestNavigationManager : NavigationManager
{
    public TestNavigationManager(string relativeUri = "")
    {
        Initialize("http://localhost/web/", "http://localhost/web/" + relativeUri);
    }

    protected override void NavigateToCore(string uri, NavigationOptions options) => Uri = ToAbsoluteUri(uri).ToString();
}
