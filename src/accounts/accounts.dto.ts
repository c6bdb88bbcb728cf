import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { ROLES, type Role } from './role.js';
import type { User } from './user.entity.js';

export class CreateUserDto {
  /** Login name: letters, digits, `.`, `_`, `-`; 3–64 characters. */
  @IsString() @Matches(/^[A-Za-z0-9._-]{3,64}$/)
  username: string;

  @IsString() @MinLength(1) @MaxLength(100)
  displayName: string;

  @IsIn(ROLES)
  role: Role;

  /** At least 8 characters and strong: not a common password, word, name or pattern, and not containing the username or name (400 `weak_password` says why). */
  @IsString() @MinLength(8) @MaxLength(200)
  password: string;
}

export class ListUsersQuery extends PageQuery {
  @IsOptional() @IsIn(ROLES)
  role?: Role;

  @IsOptional() @IsIn(['true', 'false'])
  active?: 'true' | 'false';

  /** Part of the username or of the display name. */
  @IsOptional() @IsString() @MaxLength(100)
  q?: string;
}

export class ResetPasswordDto {
  /** The same strength rule as for a new account (400 `weak_password` says why). */
  @IsString() @MinLength(8) @MaxLength(200)
  password: string;
}

export class ChangePasswordDto {
  @IsString() @MinLength(1) @MaxLength(200)
  oldPassword: string;

  /** The same strength rule as for a new account (400 `weak_password` on `newPassword` says why). */
  @IsString() @MinLength(8) @MaxLength(200)
  newPassword: string;
}

export class UserResponse {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  unitId: number | null;
  enterpriseId: number | null;
  expertId: number | null;
  createdAt: string;
  updatedAt: string;
}

export class SetActiveDto {
  @IsBoolean()
  active: boolean;
}

/** The password hash and token version never leave the service. */
export function toUserResponse(u: User): UserResponse {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    active: !!u.active,
    unitId: u.unitId ?? null,
    enterpriseId: u.enterpriseId ?? null,
    expertId: u.expertId ?? null,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}
