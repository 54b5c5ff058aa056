/** Small definitions for validator tests; each test changes one thing in a fresh copy. */
export function jsonPathMachine(): Record<string, any> {
  return {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Parameters: { 'name.$': "States.Format('job-{}', $.id)" }, Next: 'TrainModel' },
      TrainModel: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
        Parameters: { 'TrainingJobName.$': '$.name' },
        Retry: [{ ErrorEquals: ['SageMaker.ThrottlingException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PipelineFailed' }],
        Next: 'MetricGate',
      },
      MetricGate: { Type: 'Choice', Choices: [{ Variable: '$.accuracy', NumericGreaterThanEquals: 0.75, Next: 'Fan' }], Default: 'PipelineFailed' },
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } },
        ResultPath: null,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
      PipelineFailed: { Type: 'Fail', Error: 'PipelineFailed', Cause: 'see history' },
    },
  };
}

export function jsonataMachine(): Record<string, any> {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Output: { name: '{% "job-" & $states.input.id %}' }, Next: 'Decide' },
      Decide: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.ok %}', Next: 'Done' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
}
