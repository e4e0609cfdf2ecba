namespace FunctionsHub.Core.Intake;

public interface IIntakeQueue
{
    Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken);
}
