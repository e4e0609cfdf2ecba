using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Tests.Intake;

public sealed class BsnTests
{
    [Theory]
    [InlineData("111222333")]
    [InlineData("123456782")]
    public void Nine_digits_passing_the_elfproef_are_valid(string bsn) => Assert.True(Bsn.IsValid(bsn));

    [Theory]
    [InlineData("123456789")]
    [InlineData("111222334")]
    [InlineData("111222332")]
    public void A_wrong_check_digit_is_invalid(string bsn) => Assert.False(Bsn.IsValid(bsn));

    [Theory]
    [InlineData("12345678")]
    [InlineData("1234567820")]
    [InlineData("")]
    public void Anything_but_nine_digits_is_invalid(string bsn) => Assert.False(Bsn.IsValid(bsn));

    [Theory]
    [InlineData("12345678a")]
    [InlineData("1112223 3")]
    [InlineData("-11222333")]
    [InlineData("１１１２２２３３３")]
    public void Letters_and_other_characters_are_invalid(string bsn) => Assert.False(Bsn.IsValid(bsn));

    [Fact]
    public void All_zeros_is_invalid_although_it_passes_the_sum() => Assert.False(Bsn.IsValid("000000000"));

    [Fact]
    public void Null_is_invalid() => Assert.False(Bsn.IsValid(null));

    [Fact]
    public void Exactly_one_check_digit_makes_eight_digits_valid()
    {
        // Property: for any eight leading digits, at most one last digit passes the elfproef.
        var random = new Random(20261102);
        for (var n = 0; n < 500; n++)
        {
            var stem = string.Concat(Enumerable.Range(0, 8).Select(_ => (char)('0' + random.Next(10))));
            var valid = Enumerable.Range(0, 10).Count(d => Bsn.IsValid(stem + d));
            Assert.InRange(valid, 0, 1);
        }
    }
}
