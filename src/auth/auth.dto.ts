import { IsString, MaxLength, MinLength } from 'class-validator';
import type { UserResponse } from '../accounts/accounts.dto.js';

export class LoginDto {
  @IsString() @MinLength(1) @MaxLength(64)
  username: string;

  @IsString() @MinLength(1) @MaxLength(200)
  password: string;
}

export class LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserResponse;
}
