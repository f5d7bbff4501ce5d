namespace Switchyard.Limits;

/// <summary>What <see cref="ILimitStore.AcquireAsync"/> decided: a ticket to settle, or why not.</summary>
internal readonly record struct LimitDecision(LimitTicket? Ticket, LimitRejection Rejection)
{
    public bool Admitted => Ticket is not null;
}
