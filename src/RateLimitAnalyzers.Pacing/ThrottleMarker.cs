using System;
using System.Text;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Finds a vendor's throttle marker in a response body as the vendor writes it, not as any substring:
    /// Agora's <c>"code":300</c> is a refusal, while <c>"code":3001</c> is another error and
    /// <c>"error_code":300</c> another field, and a 200 mistaken for a refusal is a request sent twice.
    /// </summary>
    /// <remarks>
    /// A marker that begins or ends with a letter or digit matches only where the body's text begins or ends
    /// there too (<c>300</c> is not found in <c>3001</c> nor in <c>300.5</c>). Whitespace is free where JSON
    /// allows it, around <c>{ } [ ] : ,</c>, so <c>"code":300</c> also finds <c>"code" : 300</c>; elsewhere
    /// a run of whitespace matches any other run.
    /// </remarks>
    internal static class ThrottleMarker
    {
        public static bool IsIn(string body, string marker, StringComparison comparison)
        {
            if (body == null || string.IsNullOrEmpty(marker))
            {
                return false;
            }

            var text = Normalize(body);
            var wanted = Normalize(marker);
            if (wanted.Length == 0)
            {
                return false;
            }

            for (var at = text.IndexOf(wanted, comparison); at >= 0; at = text.IndexOf(wanted, at + 1, comparison))
            {
                if (StartsOnBoundary(text, at, wanted) && EndsOnBoundary(text, at + wanted.Length, wanted))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool StartsOnBoundary(string text, int at, string wanted)
        {
            if (at == 0 || !IsWordCharacter(wanted[0]))
            {
                return true;
            }

            var before = text[at - 1];
            return !IsWordCharacter(before) && !(before == '.' && char.IsDigit(wanted[0]));
        }

        private static bool EndsOnBoundary(string text, int end, string wanted)
        {
            var last = wanted[wanted.Length - 1];
            if (end == text.Length || !IsWordCharacter(last))
            {
                return true;
            }

            var after = text[end];
            var fraction = after == '.' && char.IsDigit(last) && end + 1 < text.Length && char.IsDigit(text[end + 1]);
            return !IsWordCharacter(after) && !fraction;
        }

        private static bool IsWordCharacter(char c)
        {
            return char.IsLetterOrDigit(c) || c == '_';
        }

        private static bool IsStructural(char c)
        {
            return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',';
        }

        /// <summary>Drops whitespace beside JSON's structural characters and shortens every other run to one space.</summary>
        private static string Normalize(string text)
        {
            var normal = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (!char.IsWhiteSpace(text[i]))
                {
                    normal.Append(text[i]);
                    continue;
                }

                var next = i;
                while (next < text.Length && char.IsWhiteSpace(text[next]))
                {
                    next++;
                }

                var afterStructural = normal.Length == 0 || IsStructural(normal[normal.Length - 1]);
                var beforeStructural = next == text.Length || IsStructural(text[next]);
                if (!afterStructural && !beforeStructural)
                {
                    normal.Append(' ');
                }

                i = next - 1;
            }

            return normal.ToString();
        }
    }
}
