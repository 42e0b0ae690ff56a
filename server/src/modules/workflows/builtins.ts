import type { WorkflowStep } from '#protocol/workflows.ts';

export const BUILT_IN_WORKFLOW_KEYS = {
  analyseReviewPrompt: 'analyse-review-prompt',
  discussDecideImplement: 'discuss-decide-implement',
} as const;

export interface BuiltInWorkflow {
  key: string;
  name: string;
  description: string;
  steps: WorkflowStep[];
}

/** The templates every tenant starts with (seeded on first use, read-only). Personas are named by built-in key. */
export const BUILT_IN_WORKFLOWS: readonly BuiltInWorkflow[] = [
  {
    key: BUILT_IN_WORKFLOW_KEYS.analyseReviewPrompt,
    name: 'Analyse, review, generate prompt',
    description: 'An architect analyses the request, a test engineer reviews the analysis, and a refactoring specialist turns both into a precise implementation prompt for a coding assistant.',
    steps: [
      {
        name: 'analyse',
        persona: 'software-architect',
        prompt: 'Analyse this request for the project {{project.name}} ({{project.description}}):\n\n{{input}}\n\n{{files}}\n\nDescribe the parts of the code involved, the constraints, the options and their risks.',
      },
      {
        name: 'review',
        persona: 'test-engineer',
        prompt: 'Review this analysis critically. What is missing, wrong or risky, and how would each claim be verified?\n\n{{steps.analyse.output}}',
      },
      {
        name: 'prompt',
        persona: 'refactoring-specialist',
        prompt:
          'Write one precise implementation prompt for a coding assistant. Include the goal, the constraints, the files to touch, the steps, and the tests that prove it works.\n\nRequest:\n{{input}}\n\nAnalysis:\n{{steps.analyse.output}}\n\nReview:\n{{steps.review.output}}',
      },
    ],
  },
  {
    key: BUILT_IN_WORKFLOW_KEYS.discussDecideImplement,
    name: 'Discuss, decide, implement',
    description: 'Expert team, then discussion, then the best approach, then the implementation: an architect lays out the approaches, a security auditor challenges them, a test engineer decides, a refactoring specialist writes the change.',
    steps: [
      {
        name: 'discuss',
        persona: 'software-architect',
        prompt: 'Open the discussion on this for {{project.name}}:\n\n{{input}}\n\n{{files}}\n\nList the viable approaches with their trade-offs.',
      },
      {
        name: 'challenge',
        persona: 'security-auditor',
        prompt: 'Challenge these approaches from your expertise; say which you would rule out and why.\n\n{{steps.discuss.output}}',
      },
      {
        name: 'decide',
        persona: 'test-engineer',
        prompt: 'Decide on the best approach, given the approaches and the objections. Name it, justify it in a few sentences, and say how it will be verified.\n\nApproaches:\n{{steps.discuss.output}}\n\nObjections:\n{{steps.challenge.output}}',
      },
      {
        name: 'implement',
        persona: 'refactoring-specialist',
        prompt: 'Implement the decision: give the concrete code changes (unified diff where possible) and the tests.\n\nDecision:\n{{steps.decide.output}}\n\nOriginal request:\n{{input}}\n\n{{files}}',
      },
    ],
  },
];
