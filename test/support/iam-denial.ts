/** The IAM denial a local authorization raised, or undefined when it was allowed (other errors rethrown). */
import { IamAccessDeniedError } from '../../local/iam/denials.js';

export async function denialOf(authorization: Promise<void>): Promise<IamAccessDeniedError | undefined> {
  try {
    await authorization;
    return undefined;
  } catch (error) {
    if (error instanceof IamAccessDeniedError) return error;
    throw error;
  }
}
