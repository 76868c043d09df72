using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Web.Hosting;

/// <summary>Settings of the dashboard under <c>/web</c> (<c>ChaosLab:Web</c>).</summary>
public sealed class WebUiOptions
{
    public const string SectionName = "ChaosLab:Web";

    /// <summary>Hugging Face shows a Space's app in an iframe of huggingface.co, served from *.hf.space.</summary>
    public const string DefaultFrameAncestors = "'self' https://huggingface.co https://*.huggingface.co https://*.hf.space";

    /// <summary>
    /// The CSP <c>frame-ancestors</c> sources of the dashboard's pages: who may show it in a
    /// frame. <c>'none'</c> forbids every frame, <c>'self'</c> only this server's own pages.
    /// </summary>
    [Required]
    [RegularExpression(@"^[^;,\r\n\x00-\x1f]+$", ErrorMessage = "ChaosLab:Web:FrameAncestors is a space-separated list of CSP sources (e.g. 'self' https://example.org), without ';' or ','.")]
    public string FrameAncestors { get; set; } = DefaultFrameAncestors;
}
