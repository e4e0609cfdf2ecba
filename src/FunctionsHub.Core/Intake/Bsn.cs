namespace FunctionsHub.Core.Intake;

/// <summary>The burgerservicenummer check: nine digits passing the elfproef (11-check).</summary>
public static class Bsn
{
    public static bool IsValid(string? value)
    {
        if (value is not { Length: 9 } || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (9 - i) * (value[i] - '0');
        }

        sum -= value[8] - '0';
        return sum % 11 == 0 && value != "000000000";
    }
}
