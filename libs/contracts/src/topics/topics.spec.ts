import { SERVICES, consumerGroupId, consumerGroupIds } from './topics';

describe('consumer groups', () => {
  it("name each service's consumer and its dead-letter replay, the names its KafkaUser ACLs and autoscaler use", () => {
    expect(consumerGroupId('notifications')).toBe('stepwise-notifications');
    expect(consumerGroupId('notifications', 'dlq-replay')).toBe('stepwise-notifications-dlq-replay');
    expect(consumerGroupIds('intake')).toEqual(['stepwise-intake', 'stepwise-intake-dlq-replay']);
  });

  it('never share a group between services or purposes', () => {
    const groups = SERVICES.flatMap(consumerGroupIds);
    expect(new Set(groups).size).toBe(groups.length);
  });
});
