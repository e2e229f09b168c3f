/**
 * The ATT&CK techniques of an audit finding, from its check and every reason code it carries: a
 * key-quality finding lists all its codes in `additionalInfo.REASON_CODES`.
 */

import type { TechniqueRef } from './catalog-types.ts';
import { techniquesForFinding } from './catalog.ts';

export interface FindingLike {
  checkName: string;
  reasonForNonComplianceCode?: string;
  nonCompliantResource?: { additionalInfo?: Record<string, string> };
}

export function techniquesOfFinding(finding: FindingLike): TechniqueRef[] {
  const codes = finding.nonCompliantResource?.additionalInfo?.['REASON_CODES'];
  return techniquesForFinding(finding.checkName, codes ?? finding.reasonForNonComplianceCode);
}
