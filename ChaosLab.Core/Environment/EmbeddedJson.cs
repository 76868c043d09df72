namespace ChaosLab.Core.Environment;

/// <summary>JSON objects written inside free text: a submitted answer, a model's prose.</summary>
internal static class EmbeddedJson
{
    /// <summary>The index of the brace closing the object that opens at <paramref name="open"/>, honouring strings; null if it never closes.</summary>
    public static int? ClosingBrace(string text, int open)
    {
        var depth = 0;
        var inString = false;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when --depth == 0:
                    return i;
            }
        }

        return null;
    }
}
